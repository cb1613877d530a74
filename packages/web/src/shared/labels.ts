import type { TFunction } from 'i18next';

/**
 * Names of things that are data (a category id, an order status), in the person's language where the catalogue has one,
 * else the id itself: a category the manufacturer adds tomorrow still shows, untranslated.
 */
const label = (t: TFunction, group: string, id: string) => t(`${group}.${id}` as never, { defaultValue: id }) as string;

export const categoryLabel = (t: TFunction, id: string) => label(t, 'categories', id);
export const orderStatusLabel = (t: TFunction, id: string) => label(t, 'orderStatus', id);
export const statementStatusLabel = (t: TFunction, id: string) => label(t, 'statementStatus', id);
export const agreementStatusLabel = (t: TFunction, id: string) => label(t, 'agreementStatus', id);
export const reasonLabel = (t: TFunction, code: string, fallback: string) => t(`reviewReasons.${code}` as never, { defaultValue: fallback }) as string;

export const ORDER_STATUS_COLOR: Record<string, string> = {
  placed: 'default',
  pending_review: 'gold',
  approved: 'cyan',
  rejected: 'red',
  confirmed: 'blue',
  cancelled: 'default',
  partially_shipped: 'geekblue',
  shipped: 'geekblue',
  delivered: 'purple',
  invoiced: 'orange',
  paid: 'green',
  returned: 'magenta',
};
