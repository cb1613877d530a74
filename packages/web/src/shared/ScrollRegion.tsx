import type { ReactNode } from 'react';

/**
 * A wide table on a narrow screen scrolls sideways inside this region, which a keyboard can focus and scroll and a screen
 * reader names (Ant Design's own table scroller is neither: axe's scrollable-region-focusable).
 */
export const ScrollRegion = ({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard
  <section className="scroll-region" aria-label={label} tabIndex={0}>
    <div style={{ minWidth }}>{children}</div>
  </section>
);
