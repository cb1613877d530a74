import { useParams } from 'react-router';
import { ThreadView } from '../../shared/threads/Threads';

export const ThreadPage = () => (
  <section className="page">
    <ThreadView threadId={useParams().threadId ?? ''} canWrite />
  </section>
);
