import { Component, type ErrorInfo, type ReactNode } from 'react';
import i18n from '../i18n';

interface State {
  failed: boolean;
}

/** Last resort: a French page instead of a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-4 px-4" role="alert">
        <h1 className="text-2xl font-bold">{i18n.t('errors.crashTitle')}</h1>
        <p className="text-stone-700 dark:text-stone-300">{i18n.t('errors.crashText')}</p>
        <div className="flex flex-wrap gap-3">
          <button
            type="button"
            className="rounded-md bg-amber-700 px-4 py-2 text-sm font-semibold text-white hover:bg-amber-800 dark:bg-amber-500 dark:text-stone-950"
            onClick={() => window.location.reload()}
          >
            {i18n.t('errors.reload')}
          </button>
          <a className="rounded-md px-4 py-2 text-sm font-semibold underline" href="/">
            {i18n.t('errors.home')}
          </a>
        </div>
      </main>
    );
  }
}
