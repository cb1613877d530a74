import type { CommissionStatementView } from '@dms/projections';
import { money } from '../format';
import { renderTable } from '../ui/table';

/** Commission statements as a table, or a line saying none match: `dms commissions list` and `dms performance commissions`. */
export const printCommissionStatements = (statements: readonly CommissionStatementView[], out: (line: string) => void): void => {
  if (statements.length === 0) {
    out('No commission statements match.');
    return;
  }
  out(
    renderTable(statements, [
      { header: 'agent', value: (s) => s.agentId },
      { header: 'period', value: (s) => s.period },
      { header: 'status', value: (s) => s.status },
      { header: 'lines', value: (s) => s.lineCount, align: 'right' },
      { header: 'commission', value: (s) => money(s.totals.commission), align: 'right' },
      { header: 'clawbacks', value: (s) => money(s.totals.clawbacks), align: 'right' },
      { header: 'total', value: (s) => money(s.totals.total), align: 'right' },
    ]),
  );
};
