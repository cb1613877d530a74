import { message } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface';
import { createContext, type ReactNode, useContext } from 'react';

const Feedback = createContext<MessageInstance | null>(null);

/**
 * Short confirmations ("Statement approved") in the theme and language of the app. Ant Design's `App` would give the same
 * through `App.useApp()`, but brings its modal and notification code into the first chunk every screen loads.
 */
export const FeedbackProvider = ({ children }: { children: ReactNode }) => {
  const [api, holder] = message.useMessage();
  return (
    <Feedback.Provider value={api}>
      {holder}
      {children}
    </Feedback.Provider>
  );
};

export const useFeedback = () => {
  const api = useContext(Feedback);
  if (!api) throw new Error('useFeedback needs a FeedbackProvider above it');
  return api;
};
