import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok } from '../../api/client';
import { useI18n } from '../../i18n';
import { useFeedback } from '../feedback';
import { actionStatusLabel, type ImprovementAction, type Review } from './ReviewDetails';

/**
 * One review (GET /performance/reviews/{partnerId}/{period}) and the commands on it: after each, the review is read again
 * at the command's position (read your own writes). Another dealer's review answers 404, which the screens show as such.
 */
export const useReview = (partnerId: string, period: string) => {
  const [minPosition, setMinPosition] = useState<string>();
  const review = useQuery({
    queryKey: ['review', partnerId, period, minPosition],
    queryFn: () =>
      ok(api.GET('/performance/reviews/{partnerId}/{period}', { params: { path: { partnerId, period }, query: minPosition ? { minPosition } : {} } })),
    placeholderData: (previous) => previous,
  });
  return { review, setMinPosition };
};

const STEPS = ['open', 'in_progress', 'done', 'dropped'] as const;

/** Moving an improvement action on (a status and a note): the dealer on the actions it owns, the manufacturer's staff on any. */
export const ActionUpdate = ({ review, action, onDone }: { review: Review; action: ImprovementAction; onDone: (position: string) => void }) => {
  const { t } = useI18n();
  const message = useFeedback();
  const [open, setOpen] = useState(false);
  const update = useMutation({
    mutationFn: (v: { status: (typeof STEPS)[number]; note: string }) =>
      ok(
        api.POST('/performance/reviews/{partnerId}/{period}/actions/{actionId}', {
          params: { path: { partnerId: review.partnerId, period: review.period, actionId: action.actionId } },
          headers: idempotencyKey(),
          body: v,
        }),
      ),
    onSuccess: (accepted) => {
      setOpen(false);
      message.success(t('performance.done.update'));
      onDone(accepted.position);
    },
  });
  if (action.status === 'done' || action.status === 'dropped') return null;
  const label = t('performance.form.update', { title: action.title });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={label}>
        {t('performance.form.updateShort')}
      </Button>
      <Modal open={open} title={label} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" initialValues={{ status: action.status }} onFinish={(v) => update.mutate(v)} disabled={update.isPending}>
          <Form.Item name="status" label={t('performance.form.newStatus')} rules={[{ required: true }]}>
            <Select options={STEPS.map((s) => ({ value: s, label: actionStatusLabel(t, s) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('performance.form.note')} rules={[{ required: true, whitespace: true }, { max: 2000 }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          {update.error && <Alert type="error" showIcon role="alert" className="form-alert" title={update.error.message} />}
          <Button type="primary" htmlType="submit" loading={update.isPending}>
            {t('performance.form.save')}
          </Button>
        </Form>
      </Modal>
    </>
  );
};
