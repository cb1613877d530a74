import { useI18n } from '../i18n';

/** The product's mark and name. */
export const Brand = ({ size = 'small', inverted = false }: { size?: 'small' | 'large'; inverted?: boolean }) => {
  const { t } = useI18n();
  return (
    <div className={`brand brand-${size}${inverted ? ' brand-inverted' : ''}`}>
      <img src="/icon.svg" alt="" width={size === 'large' ? 40 : 28} height={size === 'large' ? 40 : 28} />
      <span className="brand-name">{t('app.name')}</span>
    </div>
  );
};
