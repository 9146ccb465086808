import { Router } from './router';
import { routes } from './routes';

function NotFound() {
  return (
    <main className="page page-narrow">
      <h1>Page not found</h1>
      <p>This address does not lead to a page of Portico.</p>
      <p>
        <a href="/login">Log in</a>
      </p>
    </main>
  );
}

export function App() {
  return <Router routes={routes} fallback={<NotFound />} />;
}
