import { formatMoney, type MessageLanguage, type Money } from '@dms/domain';

/** What a robot message is made from: the event as the outbox sees it. */
export interface RenderableEvent {
  readonly type: string;
  readonly streamId: string;
  readonly data: unknown;
}

export interface RenderedMessage {
  readonly title: string;
  readonly lines: readonly string[];
  readonly link: { readonly label: string; readonly url: string };
}

const LOOKALIKE: Record<string, string> = { '[': '［', ']': '］', '<': '＜', '>': '＞', '`': 'ˋ' };

/**
 * Text from an event (a reason, a reference, a title someone typed) on one line of at most 200 characters, with the
 * characters that make a link, an HTML or font tag, or code in either platform's markdown replaced by look-alikes, so
 * that nothing typed into DMS can put a link of its own into a group. (Neither platform documents a backslash escape.)
 */
export const plain = (value: unknown): string =>
  String(value ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)
    .replace(/[[\]<>`]/g, (c) => LOOKALIKE[c] ?? c);

const money = (m: unknown): string => {
  const v = m as Money | undefined;
  // formatMoney names the currency after the amount: "119.00 EUR".
  return v && Number.isInteger(v.amountMinor) ? formatMoney(v) : '';
};

type Data = Record<string, unknown>;
type Template = (d: Data) => { zh: [string, ...string[]]; en: [string, ...string[]]; path: string };

const order = (d: Data) => `/console/orders/${encodeURIComponent(String(d.orderId))}`;
const statement = (d: Data) => `/console/settlements/${encodeURIComponent(String(d.partnerId))}/${encodeURIComponent(String(d.period))}`;

/**
 * One template per event type, Chinese and English: first the title, then the lines. An event type without one gets a
 * plain message naming the event and its stream. Every message ends with a link to what it is about in the console.
 */
const TEMPLATES: Record<string, Template> = {
  OrderPlaced: (d) => ({
    zh: [`新订单 ${plain(d.orderId)}`, `经销商:${plain(d.partnerId)}(${plain(d.region)})`, `金额:${money(d.total)}`],
    en: [`New order ${plain(d.orderId)}`, `Dealer: ${plain(d.partnerId)} (${plain(d.region)})`, `Total: ${money(d.total)}`],
    path: order(d),
  }),
  OrderQueuedForReview: (d) => {
    const reasons = ((d.reasons as { message?: unknown }[] | undefined) ?? []).map((r) => plain(r.message));
    return {
      zh: [`订单 ${plain(d.orderId)} 等待人工审核`, ...reasons.map((r) => `原因:${r}`)],
      en: [`Order ${plain(d.orderId)} is waiting for review`, ...reasons.map((r) => `Reason: ${r}`)],
      path: order(d),
    };
  },
  OrderApproved: (d) => ({ zh: [`订单 ${plain(d.orderId)} 已批准`], en: [`Order ${plain(d.orderId)} approved`], path: order(d) }),
  OrderRejected: (d) => ({
    zh: [`订单 ${plain(d.orderId)} 已拒绝`, `原因:${plain(d.reason)}`],
    en: [`Order ${plain(d.orderId)} rejected`, `Reason: ${plain(d.reason)}`],
    path: order(d),
  }),
  OrderCancelled: (d) => ({ zh: [`订单 ${plain(d.orderId)} 已取消`], en: [`Order ${plain(d.orderId)} cancelled`], path: order(d) }),
  OrderShipped: (d) => ({
    zh: [`订单 ${plain(d.orderId)} 已发货`, `发货单:${plain(d.shipmentId)}`, d.fullyShipped ? '已全部发货' : '部分发货'],
    en: [`Order ${plain(d.orderId)} shipped`, `Shipment: ${plain(d.shipmentId)}`, d.fullyShipped ? 'Fully shipped' : 'Partly shipped'],
    path: order(d),
  }),
  ShipmentDelivered: (d) => ({
    zh: [`订单 ${plain(d.orderId)} 已送达`, `发货单:${plain(d.shipmentId)}`],
    en: [`Order ${plain(d.orderId)} delivered`, `Shipment: ${plain(d.shipmentId)}`],
    path: order(d),
  }),
  OrderInvoiced: (d) => ({
    zh: [`订单 ${plain(d.orderId)} 已开票`, `发票:${plain(d.invoiceId)}`, `金额:${money(d.amount)}`, `到期日:${plain(d.dueDate)}`],
    en: [`Order ${plain(d.orderId)} invoiced`, `Invoice: ${plain(d.invoiceId)}`, `Amount: ${money(d.amount)}`, `Due: ${plain(d.dueDate)}`],
    path: order(d),
  }),
  ShipmentInvoiced: (d) => ({
    zh: [
      `订单 ${plain(d.orderId)} 发货单 ${plain(d.shipmentId)} 已开票`,
      `发票:${plain(d.invoiceId)}`,
      `金额:${money(d.amount)}`,
      `到期日:${plain(d.dueDate)}`,
    ],
    en: [
      `Order ${plain(d.orderId)} shipment ${plain(d.shipmentId)} invoiced`,
      `Invoice: ${plain(d.invoiceId)}`,
      `Amount: ${money(d.amount)}`,
      `Due: ${plain(d.dueDate)}`,
    ],
    path: order(d),
  }),
  PaymentRecorded: (d) => ({
    zh: [`订单 ${plain(d.orderId)} 收到付款`, `金额:${money(d.amount)}`, `未付:${money(d.outstanding)}`],
    en: [`Payment for order ${plain(d.orderId)}`, `Amount: ${money(d.amount)}`, `Outstanding: ${money(d.outstanding)}`],
    path: order(d),
  }),
  StockBackordered: (d) => ({
    zh: [`订单 ${plain(d.orderId)} 缺货待补`, `产品:${plain(d.sku)} × ${plain(d.quantity)}`, `仓库:${plain(d.warehouseId)}`],
    en: [`Order ${plain(d.orderId)} backordered`, `Product: ${plain(d.sku)} × ${plain(d.quantity)}`, `Warehouse: ${plain(d.warehouseId)}`],
    path: order(d),
  }),
  SettlementStatementClosed: (d) => ({
    zh: [`${plain(d.partnerId)} ${plain(d.period)} 结算单已关账`, `合计:${money((d.totals as Data | undefined)?.total)}`],
    en: [`Statement ${plain(d.period)} of ${plain(d.partnerId)} closed`, `Total: ${money((d.totals as Data | undefined)?.total)}`],
    path: statement(d),
  }),
  SettlementStatementApproved: (d) => ({
    zh: [`${plain(d.partnerId)} ${plain(d.period)} 结算单已批准`, `合计:${money(d.total)}`],
    en: [`Statement ${plain(d.period)} of ${plain(d.partnerId)} approved`, `Total: ${money(d.total)}`],
    path: statement(d),
  }),
  SettlementStatementPaid: (d) => ({
    zh: [`${plain(d.partnerId)} ${plain(d.period)} 结算单已支付`],
    en: [`Statement ${plain(d.period)} of ${plain(d.partnerId)} paid`],
    path: statement(d),
  }),
  AgreementActivated: (d) => ({
    zh: [`协议 ${plain(d.agreementId)} 已生效`, `经销商:${plain(d.partnerId)}`],
    en: [`Agreement ${plain(d.agreementId)} in force`, `Dealer: ${plain(d.partnerId)}`],
    path: '/console/agreements',
  }),
  AgreementExpired: (d) => ({
    zh: [`协议 ${plain(d.agreementId)} 已到期`, `经销商:${plain(d.partnerId)}`, `到期日:${plain(d.expiresOn)}`],
    en: [`Agreement ${plain(d.agreementId)} expired`, `Dealer: ${plain(d.partnerId)}`, `Last day: ${plain(d.expiresOn)}`],
    path: '/console/agreements',
  }),
  ImprovementActionAdded: (d) => {
    const owner = d.owner as Data | undefined;
    return {
      zh: [`改进措施:${plain(d.title)}`, `经销商:${plain(d.partnerId)}(${plain(d.period)})`, `负责人:${plain(owner?.name)}`, `截止:${plain(d.dueOn)}`],
      en: [
        `Improvement action: ${plain(d.title)}`,
        `Dealer: ${plain(d.partnerId)} (${plain(d.period)})`,
        `Owner: ${plain(owner?.name)}`,
        `Due: ${plain(d.dueOn)}`,
      ],
      path: '/console/partners',
    };
  },
  PartnerSuspended: (d) => ({
    zh: [`经销商 ${plain(d.partnerId)} 已暂停`, `原因:${plain(d.reason)}`],
    en: [`Dealer ${plain(d.partnerId)} suspended`, `Reason: ${plain(d.reason)}`],
    path: '/console/partners',
  }),
  MessagePosted: (d) => ({
    zh: [`会话 ${plain(d.threadId)} 有新消息`, plain(d.body)],
    en: [`New message in thread ${plain(d.threadId)}`, plain(d.body)],
    path: `/console/threads/${encodeURIComponent(String(d.threadId))}`,
  }),
  NotificationRaised: (d) => {
    const title = (d.title ?? {}) as { 'zh-CN'?: unknown; en?: unknown };
    const audience = (d.audience ?? {}) as Data;
    // The dealers a resource targets: its tiers, regions and dealers, or every dealer when it names none.
    const targeting = (audience.targeting ?? {}) as { tiers?: unknown[]; regions?: unknown[]; partnerIds?: unknown[] };
    const targeted = [...(targeting.tiers ?? []), ...(targeting.regions ?? []), ...(targeting.partnerIds ?? [])].map(plain).join(', ');
    const who = [audience.partnerId ?? audience.role, audience.region, audience.label].filter(Boolean).map(plain).join(' · ');
    const link = String((d.subject as Data | undefined)?.link ?? '/console');
    const dealers = audience.kind === 'dealers';
    return {
      zh: [`提醒:${plain(title['zh-CN'])}`, `收件人:${dealers ? `经销商 ${targeted || '全部'}` : who}`],
      en: [`Notification: ${plain(title.en)}`, `For: ${dealers ? `dealers ${targeted || '(all)'}` : who}`],
      // A path inside the web application (the rule made it); anything else links to the console's start.
      path: /^\/(console|portal)(\/[\w%.-]*)*$/.test(link) ? link : '/console',
    };
  },
};

const LINK_LABEL: Record<MessageLanguage, string> = { 'zh-CN': '在 DMS 控制台查看', en: 'Open in the DMS console' };

/** The message for an event in a language, linking to `consoleUrl` + the page of what it is about. */
export const renderEvent = (language: MessageLanguage, consoleUrl: string, event: RenderableEvent): RenderedMessage => {
  const template = TEMPLATES[event.type];
  const base = consoleUrl.replace(/\/+$/, '');
  if (!template) {
    const [title, stream] =
      language === 'zh-CN' ? [`DMS 事件:${event.type}`, `对象:${plain(event.streamId)}`] : [`DMS event: ${event.type}`, `About: ${plain(event.streamId)}`];
    return { title, lines: [stream], link: { label: LINK_LABEL[language], url: `${base}/console` } };
  }
  const t = template(event.data as Data);
  const [title, ...lines] = language === 'zh-CN' ? t.zh : t.en;
  return { title: `DMS ${title}`, lines, link: { label: LINK_LABEL[language], url: `${base}${t.path}` } };
};

/** The event types with a template of their own (the others get a plain message). */
export const templatedEventTypes = (): string[] => Object.keys(TEMPLATES);
