import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/** The dashboard's month: any month up to this one. `open`: opens with its calendar shown and takes the focus. */
export const MonthPicker = ({
  month,
  label,
  onChange,
  open,
}: {
  month: string | undefined;
  label: string;
  onChange: (month: string | undefined) => void;
  open?: boolean;
}) => (
  <DatePicker
    picker="month"
    allowClear={false}
    aria-label={label}
    value={month ? dayjs(`${month}-01`) : null}
    onChange={(d) => onChange(d?.format('YYYY-MM'))}
    disabledDate={(d) => d.isAfter(dayjs(), 'month')}
    defaultOpen={open}
    autoFocus={open}
  />
);
