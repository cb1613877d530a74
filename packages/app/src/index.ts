export { COMMAND_TYPES, CommandBus, type CommandBusOptions, type DmsCommand } from './command-bus';
export { APP_MODULES } from './modules';
export { firstUnknownPartner } from './partners';
export { FactLog, type FactsBefore, factsOfRecorded, governingForPeriod, loadBefore, scorecardInputs } from './performance-services';
export type { ApplicationService, AppModule, CommandResult, ServiceBus } from './service';
