export { type ApplicationService, COMMAND_TYPES, CommandBus, type CommandResult, type DmsCommand } from './command-bus';
export { FactLog, type FactsBefore, factsOfRecorded, governingForPeriod, loadBefore, scorecardInputs } from './performance-services';
