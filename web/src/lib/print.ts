/**
 * Printing a report from the console: the page's print CSS shows only `.print-area`; the paper is A4 or an 80 mm
 * receipt roll, set for this one print with a temporary @page rule and a class on <body>.
 */
export type Paper = 'a4' | '80mm';

export function printOn(paper: Paper): void {
  const style = document.createElement('style');
  style.textContent = paper === '80mm' ? '@page { size: 80mm auto; margin: 3mm; }' : '@page { size: A4 portrait; margin: 12mm; }';
  document.head.appendChild(style);
  document.body.classList.add(`print-${paper}`);
  const done = () => {
    style.remove();
    document.body.classList.remove(`print-${paper}`);
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
