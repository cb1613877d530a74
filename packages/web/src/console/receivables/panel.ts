import { useLocation } from 'react-router';
import type { UrlFilters } from '../../shared/useUrlFilters';

/** What the receivables screen's address holds: the tab, the day, the filters, the ageing's rows, DSO's period, the invoices' age. */
export const RECEIVABLES_FILTERS = ['tab', 'asOf', 'partnerId', 'region', 'by', 'dso', 'age'] as const;
export type ReceivablesFilter = (typeof RECEIVABLES_FILTERS)[number];

/** What each tab of the screen is given: the day aged at, the dealer and region chosen, and the address to change. */
export interface PanelProps {
  readonly asOf: string;
  readonly filter: Partial<Record<'partnerId' | 'region', string>>;
  readonly url: UrlFilters<ReceivablesFilter>;
  /** After a write on this screen (a payment), its position: reads wait for the read models to have applied it. */
  readonly minPosition: string | undefined;
  readonly onWritten: (position: string) => void;
}

/** A read's consistency: at or after the screen's last write, if any. */
export const after = (minPosition: string | undefined) => (minPosition ? { minPosition } : {});

/** The screen's address with some of its state changed (empty removes): links from the ageing to the invoices behind it. */
export const useHrefWith = () => {
  const location = useLocation();
  return (changes: Partial<Record<ReceivablesFilter, string | null>>) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    return `${location.pathname}?${params}`;
  };
};
