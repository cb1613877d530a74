import { Alert, Form, Input, InputNumber, Select } from 'antd';
import { ApiProblem } from '../../api/client';
import { useI18n } from '../../i18n';
import { decimalToMinor, digitsOf } from '../../i18n/format';

/** How money is paid, received or paid back, as the API names it. */
export const METHODS = ['bank_transfer', 'card', 'cheque', 'cash'] as const;
export type Method = (typeof METHODS)[number];

/** An amount typed in major units, in minor units of the currency; null when it is not a positive amount. */
export const minorOf = (text: string | undefined, currency: string) => {
  const minor = decimalToMinor(String(text ?? ''), digitsOf(currency));
  return minor !== null && minor > 0 ? minor : null;
};

/** The API's refusal as it said it: its sentence, and each field it named with what is wrong with it. */
export const Refusal = ({ error }: { error: Error }) => (
  <Alert
    type="error"
    showIcon
    role="alert"
    title={error.message}
    description={
      error instanceof ApiProblem && error.errors.length > 0 ? (
        <ul className="plain-list">
          {error.errors.map((e) => (
            <li key={e.field}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      ) : undefined
    }
    className="form-alert"
  />
);

/** The `amount` field of a form: a positive amount of `currency`, in major units, required. */
export const AmountField = ({ currency, label }: { currency: string; label: string }) => {
  const { t } = useI18n();
  return (
    <Form.Item
      name="amount"
      label={label}
      rules={[
        { required: true, message: t('receivables.amountPositive') },
        { validator: (_r, v) => (minorOf(v, currency) !== null ? Promise.resolve() : Promise.reject(new Error(t('receivables.amountPositive')))) },
      ]}
    >
      <InputNumber<string> stringMode min="0.01" step="0.01" className="full-width" />
    </Form.Item>
  );
};

/** The `method` and `reference` fields of a payment or a refund. */
export const MethodAndReference = () => {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="method" label={t('receivables.method')}>
        <Select options={METHODS.map((m) => ({ value: m, label: t(`receivables.methods.${m}`) }))} />
      </Form.Item>
      <Form.Item name="reference" label={t('receivables.reference')}>
        <Input maxLength={80} />
      </Form.Item>
    </>
  );
};
