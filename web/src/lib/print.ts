/**
 * Printing a report from the console: the page's print CSS shows only `.print-area`; the paper is A4 or an 80 mm
 * receipt roll, set for this one print with a temporary @page rule and a class on <body>.
 *
 * `{ sheet: true }` prints a `<PrintSheet>` alone (a receipt over a dialog over a drawer over a page): everything
 * else under <body> is taken out of the layout for the print (display: none, not merely hidden), so the paper
 * holds the sheet and nothing else, on as many pages as the sheet needs.
 */
export type Paper = 'a4' | '80mm';

export function printOn(paper: Paper, opts: { sheet?: boolean } = {}): void {
  const style = document.createElement('style');
  style.textContent = paper === '80mm' ? '@page { size: 80mm auto; margin: 3mm; }' : '@page { size: A4 portrait; margin: 12mm; }';
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
