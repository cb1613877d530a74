import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import type { Money } from '../shared/money';
import type { TaxCategory } from '../tax/tax';
import type { ProductCommand, Unit } from './commands';
import type { ProductEvent } from './events';

export type ProductState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly sku: string;
      readonly name: string;
      readonly category: string;
      readonly unit: Unit;
      readonly listPrice: Money;
      /** Absent (read as `standard`) for products registered before tax existed or without one. */
      readonly taxCategory?: TaxCategory;
      readonly discontinued: boolean;
    };

/** A product's tax category: `standard` unless it says otherwise. */
export const taxCategoryOf = (product: { readonly taxCategory?: TaxCategory }): TaxCategory => product.taxCategory ?? 'standard';

export const productStream = (sku: string): string => `product-${sku}`;

export const evolveProduct = (state: ProductState, event: ProductEvent): ProductState => {
  if (event.type === 'ProductRegistered') {
    const { sku, name, category, unit, listPrice } = event.data;
    return {
      exists: true,
      sku,
      name,
      category,
      unit,
      listPrice,
      ...(event.data.taxCategory ? { taxCategory: event.data.taxCategory } : {}),
      discontinued: false,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'ListPriceChanged':
      return { ...state, listPrice: event.data.to };
    case 'ProductDiscontinued':
      return { ...state, discontinued: true };
    case 'ProductTaxCategoryChanged':
      return { ...state, taxCategory: event.data.to };
  }
};

export const decideProduct = (command: ProductCommand, state: ProductState): Either<DomainError, readonly ProductEvent[]> => {
  const { sku } = command.data;
  if (command.type === 'RegisterProduct') {
    if (state.exists) return refuse('PRODUCT_ALREADY_EXISTS', `Product ${sku} is already registered.`, { sku });
    return right([{ type: 'ProductRegistered', data: command.data }]);
  }
  if (!state.exists) return refuse('PRODUCT_NOT_FOUND', `Product ${sku} is not in the catalogue.`, { sku });
  if (state.discontinued) return refuse('PRODUCT_DISCONTINUED', `Product ${sku} is discontinued.`, { sku });
  switch (command.type) {
    case 'ChangeListPrice':
      if (command.data.listPrice.currency !== state.listPrice.currency) {
        return refuse('CURRENCY_MISMATCH', `Product ${sku} is priced in ${state.listPrice.currency}, not ${command.data.listPrice.currency}.`, { sku });
      }
      if (command.data.listPrice.amountMinor === state.listPrice.amountMinor) {
        return refuse('PRICE_UNCHANGED', `Product ${sku} already has that list price.`, { sku });
      }
      return right([{ type: 'ListPriceChanged', data: { sku, from: state.listPrice, to: command.data.listPrice, changedAt: command.data.changedAt } }]);
    case 'DiscontinueProduct':
      return right([{ type: 'ProductDiscontinued', data: command.data }]);
    case 'SetProductTaxCategory':
      if (command.data.taxCategory === taxCategoryOf(state))
        return refuse('TAX_CATEGORY_UNCHANGED', `Product ${sku} is already in tax category ${taxCategoryOf(state)}.`, { sku });
      return right([
        { type: 'ProductTaxCategoryChanged', data: { sku, from: taxCategoryOf(state), to: command.data.taxCategory, changedAt: command.data.changedAt } },
      ]);
  }
};

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  initialState: { exists: false },
  decide: decideProduct,
  evolve: evolveProduct,
};
