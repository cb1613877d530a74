import { agreementServices } from './agreement-services';
import { backorderServices } from './backorder-services';
import { dealerAccountServices } from './dealer-account-services';
import { fulfilmentServices } from './fulfilment-services';
import { invoicingServices } from './invoicing-services';
import { performanceServices } from './performance-services';
import { promotionServices } from './promotion-services';
import { reviewServices } from './review-services';
import type { AppModule } from './service';
import { settlementServices } from './settlement-services';
import { stockServices } from './stock-services';
import { threadServices } from './thread-services';
import { userServices } from './user-services';

/**
 * The modules of the application layer, each with the intent commands it contributes. The command bus is composed of
 * these (a bus can be given others); adding a capability is one file of services and one line here.
 */
export const APP_MODULES: readonly AppModule[] = [
  { name: 'stock', services: stockServices },
  { name: 'fulfilment', services: fulfilmentServices },
  { name: 'backorders', services: backorderServices },
  { name: 'agreements', services: agreementServices },
  { name: 'order review', services: reviewServices },
  { name: 'settlements', services: settlementServices },
  { name: 'threads', services: threadServices },
  { name: 'users', services: userServices },
  { name: 'performance', services: performanceServices },
  { name: 'promotions', services: promotionServices },
  { name: 'invoicing', services: invoicingServices },
  { name: 'dealer accounts', services: dealerAccountServices },
];
