import { SendOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Empty, Form, Input, List, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { refreshAfter } from '../../api/refresh';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { ProblemResult } from '../ErrorPage';

type ThreadSummary = Schemas['ThreadSummary'];
type LinkKind = NonNullable<ThreadSummary['link']>['kind'];

/** Threads of the caller (a dealer: its own), most recent activity first, with unread counts. `base` is where a thread opens. */
export const ThreadList = ({ base, status, onStatus }: { base: string; status: string; onStatus: (s: string) => void }) => {
  const { t, f } = useI18n();
  const threads = useInfiniteQuery({
    queryKey: ['threads', status],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/threads', {
          params: { query: { limit: 30, ...(status ? { status: status as 'open' | 'closed' } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (threads.error) return <ProblemResult error={threads.error} />;
  const items = threads.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Segmented
        value={status}
        onChange={(v) => onStatus(String(v))}
        options={[
          { value: '', label: t('common.all') },
          { value: 'open', label: t('threads.open') },
          { value: 'closed', label: t('threads.closed') },
        ]}
      />
      {threads.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('threads.none')} />
      ) : (
        <List
          className="thread-list"
          dataSource={items}
          renderItem={(th) => (
            <List.Item>
              <Link to={`${base}/${encodeURIComponent(th.threadId)}`} className="thread-link">
                <div className="thread-row">
                  <Badge count={th.unreadCount} size="small" offset={[6, 0]}>
                    <Typography.Text strong>{th.subject}</Typography.Text>
                  </Badge>
                  <Tag color={th.status === 'open' ? 'blue' : 'default'}>{th.status === 'open' ? t('threads.open') : t('threads.closed')}</Tag>
                </div>
                <Typography.Text type="secondary" className="thread-meta">
                  {th.partnerName ?? th.partnerId}
                  {th.link ? ` · ${t(`threads.linkKinds.${th.link.kind}`)} ${th.link.id}` : ''} · {t('threads.messages', { count: th.messageCount })} ·{' '}
                  {f.dateTime(th.lastMessageAt)}
                </Typography.Text>
              </Link>
            </List.Item>
          )}
        />
      )}
      {threads.hasNextPage && (
        <Button block onClick={() => void threads.fetchNextPage()} loading={threads.isFetchingNextPage}>
          {t('common.more')}
        </Button>
      )}
    </>
  );
};

/** One conversation: messages in order (mine on the right), a reply box, and it is marked read when seen. */
export const ThreadView = ({ threadId, canWrite }: { threadId: string; canWrite: boolean }) => {
  const { t, f } = useI18n();
  const client = useQueryClient();
  const session = useSession().data;
  const [form] = Form.useForm<{ body: string }>();
  const thread = useQuery({ queryKey: ['thread', threadId], queryFn: () => ok(api.GET('/threads/{threadId}', { params: { path: { threadId } } })) });
  const markRead = useMutation({
    mutationFn: () => ok(api.POST('/threads/{threadId}/read', { params: { path: { threadId } }, body: {} })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['threads'] }),
  });
  const unread = thread.data?.unreadCount ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: mark read once per unread batch shown
  useEffect(() => {
    if (unread > 0 && canWrite) markRead.mutate();
  }, [unread, canWrite]);
  const post = useMutation({
    mutationFn: (body: string) => ok(api.POST('/threads/{threadId}/messages', { params: { path: { threadId } }, body: { body } })),
    onSuccess: async (accepted) => {
      form.resetFields();
      await refreshAfter(
        client,
        ['thread', threadId],
        (minPosition) => ok(api.GET('/threads/{threadId}', { params: { path: { threadId }, query: { minPosition } } })),
        accepted.position,
      );
    },
  });
  if (thread.error) return <ProblemResult error={thread.error} />;
  if (!thread.data) return <Skeleton active />;
  const th = thread.data;
  const me = session?.user.userId;
  return (
    <div className="thread">
      <Card size="small">
        <Typography.Title level={1} className="page-title">
          {th.subject}
        </Typography.Title>
        <Typography.Text type="secondary">
          {th.partnerName ?? th.partnerId}
          {th.link ? ` · ${t(`threads.linkKinds.${th.link.kind}`)} ${th.link.id}` : ''} · {th.status === 'open' ? t('threads.open') : t('threads.closed')}
        </Typography.Text>
      </Card>
      <ol className="messages" aria-label={t('threads.conversation')}>
        {th.messages.map((m) => {
          const mine = m.author.id === me || m.author.id === `user:${me}`;
          return (
            <li key={m.messageId} className={`message${mine ? ' mine' : ''}`}>
              <div className="message-meta">
                {m.author.partnerId ? (th.partnerName ?? m.author.partnerId) : t('threads.manufacturer')} · {t(`roles.${m.author.role as 'admin'}`)} ·{' '}
                {f.dateTime(m.postedAt)}
                {m.edited ? ` · ${t('threads.edited')}` : ''}
              </div>
              <div className="message-body">{m.retracted ? <em>{t('threads.retracted')}</em> : m.body}</div>
              {m.attachments.map((a) => (
                <a key={a.url} href={a.url} target="_blank" rel="noreferrer noopener">
                  {a.name}
                </a>
              ))}
            </li>
          );
        })}
      </ol>
      {th.status === 'closed' ? (
        <Alert type="info" title={t('threads.closedNote', { reason: th.closeReason ?? '' })} />
      ) : canWrite ? (
        <Form form={form} onFinish={(v) => post.mutate(v.body)} className="reply">
          <Form.Item name="body" rules={[{ required: true, whitespace: true, message: t('threads.writeSomething') }, { max: 10_000 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} placeholder={t('threads.replyPlaceholder')} aria-label={t('threads.reply')} />
          </Form.Item>
          {post.error && <Alert type="error" showIcon title={post.error.message} className="form-alert" />}
          <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={post.isPending}>
            {t('threads.send')}
          </Button>
        </Form>
      ) : null}
    </div>
  );
};

/** Opens a thread with the manufacturer (a dealer) or with a dealer (staff), optionally about an order or another resource. */
export const NewThread = ({ partnerId, link, base }: { partnerId: string; link?: { kind: LinkKind; id: string }; base: string }) => {
  const { t } = useI18n();
  const navigate = useNavigate();
  const open = useMutation({
    mutationFn: async (v: { subject: string; body: string }) => {
      const threadId = `th-${crypto.randomUUID()}`;
      const accepted = await ok(api.POST('/threads', { body: { threadId, partnerId, subject: v.subject, body: v.body, ...(link ? { link } : {}) } }));
      return { threadId, accepted };
    },
    onSuccess: ({ threadId }) => navigate(`${base}/${encodeURIComponent(threadId)}`),
  });
  return (
    <Card size="small" title={link ? t('threads.newAbout', { kind: t(`threads.linkKinds.${link.kind}`), id: link.id }) : t('threads.new')}>
      <Form
        layout="vertical"
        onFinish={(v) => open.mutate(v)}
        initialValues={{ subject: link ? t('threads.subjectAbout', { kind: t(`threads.linkKinds.${link.kind}`), id: link.id }) : '' }}
      >
        <Form.Item name="subject" label={t('threads.subject')} rules={[{ required: true, whitespace: true, message: t('threads.writeSubject') }, { max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('threads.message')}
          rules={[{ required: true, whitespace: true, message: t('threads.writeSomething') }, { max: 10_000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
        </Form.Item>
        {open.error && <Alert type="error" showIcon title={open.error.message} className="form-alert" />}
        <Space>
          <Button type="primary" htmlType="submit" loading={open.isPending} icon={<SendOutlined />}>
            {t('threads.send')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
};
