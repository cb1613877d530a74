import type { Catalogue } from '../en';
import type { webhooks as en } from './webhooks.en';

/** 控制台 Webhook 页面的文案（与 webhooks.en.ts 键相同，测试会检查）。 */
export const webhooks: Catalogue<typeof en> = {
  audience: '面向',
  everyone: '全部',
  events: '事件',
  deliveries: '投递',
  counts: '已投递 {{delivered}} · 待投递 {{pending}} · 失败 {{failed}}',
  pause: '暂停',
  resume: '恢复',
  status: { active: '启用', paused: '已暂停', removed: '已删除' },
};
