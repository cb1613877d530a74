import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/** The dashboard's month: any month up to this one. */
export const MonthPicker = ({ month, label, onChange }: { month: string | undefined; label: string; onChange: (month: string | undefined) => void }) => (
  <DatePicker
    picker="month"
    allowClear={false}
    aria-label={label}
    value={month ? dayjs(`${month}-01`) : null}
    onChange={(d) => onChange(d?.format('YYYY-MM'))}
    disabledDate={(d) => d.isAfter(dayjs(), 'month')}
  />
);
