import { type Actor, type Money, NonEmptyText, NonNegativeMoney, Text } from '@dms/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, commandContext, orRefuse } from '../context';
import { Problem } from '../problems';
import { CommandAccepted } from '../schemas';

type App = Parameters<FastifyPluginAsyncZod>[0];
type Command = Parameters<ApiOptions['runtime']['bus']['execute']>[0];

const errors = { 400: Problem, 404: Problem, 409: Problem };

/** What one kind of statement (a dealer's settlement, a sales agent's commission) names its steps and commands. */
export interface StatementSteps<P extends z.ZodObject> {
  /** `/settlements/:partnerId/:period`. */
  readonly path: string;
  readonly tag: string;
  readonly params: P;
  readonly summaries: { readonly close: string; readonly approve: string; readonly pay: string };
  readonly close: (params: z.infer<P>, by: Actor, closedAt: string) => Command;
  readonly approve: (params: z.infer<P>, by: Actor, approvedAt: string, note: string | undefined) => Command;
  readonly pay: (params: z.infer<P>, payment: { paymentReference: string; amount: Money }, paidAt: string) => Command;
}

/**
 * The three steps every statement goes through after its period, `open -> closed -> approved -> paid`, as routes:
 * `POST <path>/close`, `/approve` (by someone other than whoever closed it: the domain refuses it otherwise) and
 * `/payments`, each answering the command's events. Settlement and commission statements share them.
 */
export const statementStepRoutes = <P extends z.ZodObject>(app: App, options: ApiOptions, steps: StatementSteps<P>): void => {
  const { bus } = options.runtime;
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const step = <B extends z.ZodType>(path: string, summary: string, body: B, toCommand: (p: z.infer<P>, b: z.infer<B>, at: string, by: Actor) => Command) =>
    app.post(
      `${steps.path}${path}`,
      {
        config: { permission: 'settlements:write' },
        schema: { tags: [steps.tag], summary, params: steps.params, body, response: { 200: CommandAccepted, ...errors } },
      },
      async (request) =>
        accepted(
          orRefuse(await bus.execute(toCommand(request.params as z.infer<P>, request.body as z.infer<B>, now(), request.principal), commandContext(request))),
        ),
    );
  step('/close', steps.summaries.close, z.strictObject({}), (p, _b, at, by) => steps.close(p, by, at));
  step('/approve', steps.summaries.approve, z.strictObject({ note: Text(500).optional() }), (p, b, at, by) => steps.approve(p, by, at, b.note || undefined));
  step('/payments', steps.summaries.pay, z.strictObject({ paymentReference: NonEmptyText(80), amount: NonNegativeMoney }), (p, b, at) => steps.pay(p, b, at));
};
