/**
 * Printing a report from the console: the page's print CSS shows only `.print-area`; the paper is A4 or an 80 mm
 * receipt roll, set for this one print with a temporary @page rule and a class on <body>.
 *
 * `{ sheet: true }` prints a `<PrintSheet>` alone (a receipt over a dialog over a drawer over a page): everything
 * else under <body> is taken out of the layout for the print (display: none, not merely hidden), so the paper
 * holds the sheet and nothing else, on as many pages as the sheet needs.
 */
export type Paper = 'a4' | '80mm';

const PX_PER_MM = 96 / 25.4;

/**
 * How tall the printed content will be on an 80 mm roll, in mm: a copy laid out off screen at the roll's printable
 * width (72 mm) and the receipt's type size. A CSS page size needs a length on both sides (`80mm auto` is invalid
 * and ignored), so the page is made as long as the receipt and the printer's cutter ends it there.
 */
function rollLength(sheet: boolean): number {
  const source = document.querySelector<HTMLElement>(sheet ? '.print-sheet' : '.print-area');
  if (!source) return 200;
  const copy = source.cloneNode(true) as HTMLElement;
  copy.classList.add('print-measure');
  copy.style.cssText = 'display:block;position:absolute;left:-10000px;top:0;width:72mm;font-size:11px;visibility:hidden';
  document.body.appendChild(copy);
  const mm = copy.offsetHeight / PX_PER_MM;
  copy.remove();
  return Math.ceil(mm + 12); // the 3 mm margins and a little room before the cut
}

export function printOn(paper: Paper, opts: { sheet?: boolean } = {}): void {
  const style = document.createElement('style');
  style.textContent =
    paper === '80mm' ? `@page { size: 80mm ${rollLength(opts.sheet ?? false)}mm; margin: 3mm; }` : '@page { size: A4 portrait; margin: 12mm; }';
  document.head.appendChild(style);
  const classes = [`print-${paper}`, ...(opts.sheet ? ['print-sheet-only'] : [])];
  document.body.classList.add(...classes);
  const done = () => {
    style.remove();
    document.body.classList.remove(...classes);
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
