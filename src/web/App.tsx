import { Router } from './router';
import { routes } from './routes';

export function App() {
  return (
    <Router
      routes={routes}
      fallback={
        <main className="page">
          <h1>Page not found</h1>
          <p>
            <a href="/login">Log in</a>
          </p>
        </main>
      }
    />
  );
}
