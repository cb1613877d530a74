import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { type Language, setLanguage, useI18n } from '../i18n';

/** Switches between 中文 and English (the button names the other language); the choice is remembered in this browser. */
export const LanguageSwitch = ({ inverted = false }: { inverted?: boolean }) => {
  const { t, language } = useI18n();
  const other: Language = language === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined aria-hidden />}
      onClick={() => void setLanguage(other)}
      lang={other}
      aria-label={`${t('common.language')}: ${t(`languages.${other}`)}`}
      className={inverted ? 'inverted-button' : undefined}
    >
      {t(`languages.${other}`)}
    </Button>
  );
};
