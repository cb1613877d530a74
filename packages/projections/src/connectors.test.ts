import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plain, renderEvent, templatedEventTypes } from './connector-templates';
import { dingtalkSign, interpretRobotAnswer, openRobotCredentials, robotMessage, robotRequestUrl, sealRobotCredentials, splitRobotUrl } from './connectors';

const key = 'k'.repeat(40);

describe('robot connectors', () => {
  it('seals credentials so that only this installation, for this webhook, opens them', () => {
    const credentials = { kind: 'dingtalk' as const, accessToken: 'tok', secret: 'SECabc' };
    const sealed = sealRobotCredentials(key, 'ding', credentials);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('tok');
    expect(openRobotCredentials(key, 'ding', sealed)).toEqual(credentials);
    expect(() => openRobotCredentials(key, 'other', sealed)).toThrow('cannot be opened');
    expect(() => openRobotCredentials('x'.repeat(40), 'ding', sealed)).toThrow('DMS_WEBHOOK_KEY');
  });

  it('takes the credential out of the address the platform shows, and puts it back signed when sending', () => {
    const split = splitRobotUrl('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abc', 'SECx');
    expect(split).toEqual({ url: 'https://oapi.dingtalk.com/robot/send', credentials: { kind: 'dingtalk', accessToken: 'abc', secret: 'SECx' } });
    expect(splitRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1', undefined)).toEqual({
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
      credentials: { kind: 'wecom', key: 'k-1' },
    });
    expect(splitRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send', undefined)).toMatchObject({ field: 'url' });
    expect(splitRobotUrl('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abc', undefined)).toMatchObject({ field: 'secret' });

    const now = new Date('2026-11-01T10:00:00.123Z');
    const url = new URL(robotRequestUrl('https://oapi.dingtalk.com/robot/send', { kind: 'dingtalk', accessToken: 'abc', secret: 'SECx' }, now));
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    const expected = createHmac('sha256', 'SECx').update(`${now.getTime()}\nSECx`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    // URL-encoded on the wire: base64's + / = never appear raw in the query.
    expect(url.search).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(dingtalkSign('SECx', now.getTime())).toBe(expected);
  });

  it('reads a platform answer: ok, retry on rate limits and busy, reject anything else', () => {
    expect(interpretRobotAnswer('dingtalk', '{"errcode":0,"errmsg":"ok"}')).toEqual({ outcome: 'delivered' });
    expect(interpretRobotAnswer('dingtalk', '{"errcode":130101,"errmsg":"send too fast"}').outcome).toBe('retry');
    expect(interpretRobotAnswer('wecom', '{"errcode":45009,"errmsg":"api freq out of limit"}').outcome).toBe('retry');
    expect(interpretRobotAnswer('wecom', '{"errcode":-1,"errmsg":"system busy"}').outcome).toBe('retry');
    expect(interpretRobotAnswer('dingtalk', '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({
      outcome: 'rejected',
      error: 'dingtalk errcode 310000: sign not match',
    });
    expect(interpretRobotAnswer('wecom', '{"errcode":93000,"errmsg":"invalid webhook url"}').outcome).toBe('rejected');
    expect(interpretRobotAnswer('wecom', '<html>').outcome).toBe('retry');
  });

  it('has a Chinese and an English message for every templated event type, each linking into the console', () => {
    for (const type of templatedEventTypes()) {
      for (const language of ['zh-CN', 'en'] as const) {
        const m = renderEvent(language, 'https://dms.example.com/', {
          type,
          streamId: 'order-SO-1',
          data: { orderId: 'SO-1', partnerId: 'acme', period: '2026-10' },
        });
        expect(m.title.length, `${type} ${language}`).toBeGreaterThan(4);
        expect(m.link.url.startsWith('https://dms.example.com/console'), `${type} ${language}: ${m.link.url}`).toBe(true);
      }
    }
    const shipmentInvoice = {
      type: 'ShipmentInvoiced',
      streamId: 'order-SO-1',
      data: { orderId: 'SO-1', shipmentId: 'SO-1-S2', invoiceId: 'inv-SO-1-S2', amount: { amountMinor: 119_00, currency: 'EUR' }, dueDate: '2026-04-15' },
    };
    const en = renderEvent('en', 'https://dms.example.com', shipmentInvoice);
    expect(en).toMatchObject({ title: 'DMS Order SO-1 shipment SO-1-S2 invoiced', link: { url: 'https://dms.example.com/console/orders/SO-1' } });
    expect(en.lines[0]).toBe('Invoice: inv-SO-1-S2');
    expect(en.lines[1]).toBe('Amount: 119.00 EUR');
    expect(en.lines[2]).toBe('Due: 2026-04-15');
    expect(renderEvent('zh-CN', 'https://dms.example.com', shipmentInvoice).title).toContain('订单 SO-1 发货单 SO-1-S2 已开票');
    expect(renderEvent('en', 'https://dms.example.com', { type: 'StockAdjusted', streamId: 'stock-w1.P1', data: {} })).toEqual({
      title: 'DMS event: StockAdjusted',
      lines: ['About: stock-w1.P1'],
      link: { label: 'Open in the DMS console', url: 'https://dms.example.com/console' },
    });
  });

  it('never lets event text open a link or a tag, and always fits a message in 4096 bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.string({ maxLength: 300 }), { maxLength: 60 }), (reason, messages) => {
        const p = plain(reason);
        expect(p).not.toMatch(/[[\]<>`\n]/);
        const data = { orderId: 'SO-1', reasons: messages.map((message) => ({ message })) };
        for (const kind of ['dingtalk', 'wecom'] as const) {
          const body = robotMessage(kind, 'zh-CN', 'https://dms.example.com', { type: 'OrderQueuedForReview', streamId: 'order-SO-1', data }) as {
            markdown: { text?: string; content?: string };
          };
          const text = body.markdown.text ?? body.markdown.content ?? '';
          expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
          expect(text.match(/\]\(/g)?.length).toBe(1);
        }
      }),
    );
  });
});
