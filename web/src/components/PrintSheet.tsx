import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * What `printOn(paper, { sheet: true })` prints: rendered straight under <body> (outside the dialogs and drawers
 * it is opened from), hidden on screen, the only thing on the paper.
 */
export function PrintSheet({ children, testId }: { children: ReactNode; testId?: string }) {
  return createPortal(
    <div className="print-sheet" data-testid={testId}>
      {children}
    </div>,
    document.body,
  );
}
