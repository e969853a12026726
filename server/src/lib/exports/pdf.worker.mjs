// Renders one PDF off the main thread (pdfmake's layout is synchronous: a 30-page table would otherwise hold
// the server's event loop for seconds). Started by pdf.ts with a JSON document definition made there; this
// file adds only what cannot cross threads: the fonts, the named table layouts, and the running header and
// footer (functions of the page number). Sends the PDF back in chunks, then { type: 'end', pages }.
import { parentPort, workerData } from 'node:worker_threads';
import pdfmake from 'pdfmake';

/** @type {{ definition: Record<string, unknown>, fonts: { normal: string, bold: string }, runningTitle: string, footerLeft: string }} */
const job = workerData;

const fontFiles = new Set([job.fonts.normal, job.fonts.bold]);
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => fontFiles.has(path));
pdfmake.setFonts({ NotoSansSC: { normal: job.fonts.normal, bold: job.fonts.bold, italics: job.fonts.normal, bolditalics: job.fonts.bold } });

const LINE = '#9a9a9a';
pdfmake.setTableLayouts({
  // Data tables: thin grey grid, a stronger line under the column headers and above a totals row.
  yishiGrid: {
    hLineWidth: (i, node) => (i === node.table.headerRows || (node.totalsRow && i === node.table.body.length - 1) ? 1 : 0.5),
    vLineWidth: () => 0.5,
    hLineColor: () => LINE,
    vLineColor: () => LINE,
    paddingLeft: () => 4,
    paddingRight: () => 4,
    paddingTop: () => 2,
    paddingBottom: () => 2,
  },
  // The key-value block under the title.
  yishiFields: {
    hLineWidth: () => 0.5,
    vLineWidth: () => 0.5,
    hLineColor: () => '#c8c8c8',
    vLineColor: () => '#c8c8c8',
    paddingLeft: () => 6,
    paddingRight: () => 6,
    paddingTop: () => 4,
    paddingBottom: () => 4,
  },
  // Signature lines: only the blanks' underlines (cells choose their borders).
  yishiSignatures: {
    hLineWidth: () => 0.8,
    vLineWidth: () => 0,
    hLineColor: () => '#333333',
    paddingLeft: () => 0,
    paddingRight: () => 12,
    paddingTop: () => 14,
    paddingBottom: () => 2,
  },
});

let pages = 0;
const definition = {
  ...job.definition,
  header: (currentPage) => (currentPage > 1 ? { text: job.runningTitle, fontSize: 8, color: '#666666', alignment: 'center', margin: [40, 16, 40, 0] } : null),
  footer: (currentPage, pageCount) => {
    pages = pageCount;
    return {
      columns: [
        { text: job.footerLeft, alignment: 'left' },
        { text: `第 ${currentPage} 页 / 共 ${pageCount} 页`, alignment: 'right', width: 'auto' },
      ],
      fontSize: 8,
      color: '#444444',
      margin: [40, 8, 40, 0],
    };
  },
};

try {
  const stream = await pdfmake.createPdf(definition).getStream();
  stream.on('data', (chunk) => {
    const copy = new Uint8Array(chunk);
    parentPort.postMessage({ type: 'chunk', data: copy }, [copy.buffer]);
  });
  stream.on('end', () => parentPort.postMessage({ type: 'end', pages }));
  stream.on('error', (err) => parentPort.postMessage({ type: 'error', message: String(err?.stack ?? err) }));
  stream.end();
} catch (err) {
  parentPort.postMessage({ type: 'error', message: String(err?.stack ?? err) });
}
