import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import '../i18n';
import { Modal } from './Modal';

/** A page with a button that opens a dialog from state, as the app's pages do. */
function Page({ withField = true }: { withField?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Avant</button>
      <button type="button" onClick={() => setOpen(true)}>
        Ouvrir
      </button>
      <Modal open={open} onOpenChange={setOpen} title="Un dialogue">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setOpen(false);
          }}
        >
          {withField && <input aria-label="Nom" />}
          <button type="button" onClick={() => setOpen(false)}>
            Annuler
          </button>
          <button type="submit">Valider</button>
        </form>
      </Modal>
    </>
  );
}

function openFrom(name: string) {
  const opener = screen.getByRole('button', { name });
  opener.focus();
  fireEvent.click(opener);
  return opener;
}

describe('Modal focus', () => {
  it('starts on the first field, not on "Fermer"', async () => {
    render(<Page />);
    openFrom('Ouvrir');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Nom' })));
  });

  it('starts on the first button of the body when it has no field', async () => {
    render(<Page withField={false} />);
    openFrom('Ouvrir');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Annuler' })));
    expect(document.activeElement).not.toBe(screen.getByRole('button', { name: 'Fermer' }));
  });

  it.each([
    ['Escape', () => fireEvent.keyDown(document.activeElement!, { key: 'Escape' })],
    ['the ✕', () => fireEvent.click(screen.getByRole('button', { name: 'Fermer' }))],
    ['Cancel', () => fireEvent.click(screen.getByRole('button', { name: 'Annuler' }))],
    ['a submit', () => fireEvent.click(screen.getByRole('button', { name: 'Valider' }))],
  ])('gives the focus back to the opener after %s', async (_how, close) => {
    render(<Page />);
    const opener = openFrom('Ouvrir');
    await waitFor(() => expect(screen.getByRole('dialog')).toBeTruthy());
    close();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});
