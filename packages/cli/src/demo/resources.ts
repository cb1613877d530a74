import { type Actor, aggregates, partnerStream, type ResourceCommand, type TargetedDealer } from '@dms/domain';
import { loadAggregate } from '@dms/eventstore';
import { type DmsRuntime, PostgresContentStore, receiveContent } from '@dms/projections';

const anna: Actor = { id: 'anna.sales', role: 'sales' };
const dealer = (partnerId: string): Actor => ({ id: `${partnerId}.buyer`, role: 'dealer', partnerId });

/** A small, valid one-page PDF with a line of text: enough for a viewer to open what the demo shares. */
export const demoPdf = (title: string, line: string): Buffer => {
  const text = `BT /F1 18 Tf 56 760 Td (${title}) Tj 0 -28 Td /F1 11 Tf (${line}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
};

/**
 * The resource library of the demo: the 2027 price policy for the platinum tier, which its dealers must acknowledge (one
 * of the two has), and a pump installation training sheet for every dealer. Files go into the content store first;
 * the commands name them by sha-256.
 */
export const seedResources = async (runtime: DmsRuntime, seed: number): Promise<{ published: number; acknowledged: number }> => {
  const store = new PostgresContentStore(runtime.runner.db);
  const stored = async (pdf: Buffer, fileName: string) => {
    const result = await receiveContent(store, [pdf], 'application/pdf');
    if (!result.ok) throw new Error(`The demo's ${fileName} was refused: ${result.refusal.message}`);
    return { type: 'file' as const, ...result.content, fileName };
  };
  const policy = await stored(
    demoPdf('2027 price policy - platinum tier', 'List prices from 1 January 2027; platinum discount 22%; rebate bands unchanged.'),
    '2027 price policy (platinum).pdf',
  );
  const training = await stored(
    demoPdf('P-series pumps: installation', 'Mounting, priming, first start and the ten checks before handing over to the customer.'),
    'P-series installation training.pdf',
  );
  // The dealer as it is after the demo's year (the year-end review may have moved its tier).
  const { state: nordic } = await loadAggregate(runtime.store, aggregates.partners, partnerStream('nordic-flow'));
  const nordicFlow: TargetedDealer = nordic.exists
    ? { partnerId: 'nordic-flow', tier: nordic.tier, region: nordic.region }
    : { partnerId: 'nordic-flow', tier: 'platinum', region: 'north' };
  const commands: [Actor, ResourceCommand][] = [
    [
      anna,
      {
        type: 'CreateResource',
        data: {
          resourceId: 'price-policy-2027-platinum',
          kind: 'price_policy',
          title: '2027 price policy (platinum)',
          description: 'Prices, discounts and rebate bands for platinum dealers from 1 January 2027.',
          targeting: { tiers: ['platinum'], regions: [], partnerIds: [] },
          requiresAcknowledgement: true,
          content: policy,
          by: anna,
          createdAt: '2026-11-02T09:00:00.000Z',
        },
      },
    ],
    [anna, { type: 'PublishResource', data: { resourceId: 'price-policy-2027-platinum', by: anna, publishedAt: '2026-11-02T09:05:00.000Z' } }],
    [
      anna,
      {
        type: 'CreateResource',
        data: {
          resourceId: 'training-p-series-installation',
          kind: 'training',
          title: 'P-series pumps: installation training sheet',
          targeting: { tiers: [], regions: [], partnerIds: [] },
          requiresAcknowledgement: false,
          content: training,
          by: anna,
          createdAt: '2026-09-15T08:00:00.000Z',
        },
      },
    ],
    [anna, { type: 'PublishResource', data: { resourceId: 'training-p-series-installation', by: anna, publishedAt: '2026-09-15T08:00:00.000Z' } }],
    [
      dealer('nordic-flow'),
      {
        type: 'AcknowledgeResource',
        data: {
          resourceId: 'price-policy-2027-platinum',
          version: 1,
          dealer: nordicFlow,
          by: dealer('nordic-flow'),
          acknowledgedAt: '2026-11-04T14:30:00.000Z',
        },
      },
    ],
  ];
  let acknowledged = 0;
  for (const [n, [actor, command]] of commands.entries()) {
    const result = await runtime.bus.execute(command, { commandId: `demo-${seed}-resource-${n}`, actor });
    if (result._tag === 'Left') throw new Error(`The demo's ${command.type} was refused: ${result.left.message}`);
    if (command.type === 'AcknowledgeResource') acknowledged += 1;
  }
  return { published: 2, acknowledged };
};
