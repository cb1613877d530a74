import { daysBetween } from '../shared/calendar';

/**
 * Whether an order arrived in time: delivered in full on or before the delivery date the dealer requested (the date
 * promised to it), comparing calendar dates (UTC). `daysLate` is zero when on time.
 */
export const deliveryPunctuality = (deliveredOn: string, requestedOn: string): { readonly onTime: boolean; readonly daysLate: number } => {
  const late = daysBetween(requestedOn, deliveredOn);
  return { onTime: late <= 0, daysLate: Math.max(0, late) };
};
