import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Download } from 'lucide-react';
import { Alert } from '../../components/Alert';
import { Modal } from '../../components/Modal';
import { downloadUrl } from './browse';
import type { Playing } from './useFileActions';

/** Plays a video or audio file, or shows an image, from its signed link; says so when the browser cannot. */
export function PlayerDialog({ playing, onClose }: { playing: Playing | null; onClose: () => void }) {
  return (
    <Modal
      open={playing !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={playing?.name ?? ''}
      wide
    >
      {playing && <Player key={playing.url} playing={playing} />}
    </Modal>
  );
}

function Player({ playing }: { playing: Playing }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  const common = {
    src: playing.url,
    controls: true,
    autoPlay: true,
    preload: 'metadata',
    onError: () => setFailed(true),
  } as const;
  return (
    <div className="flex flex-col gap-3">
      {playing.kind === 'image' ? (
        <img
          src={playing.url}
          alt={t('files.player.image', { name: playing.name })}
          onError={() => setFailed(true)}
          className="mx-auto max-h-[70dvh] w-auto max-w-full rounded-md bg-stone-100 object-contain dark:bg-stone-800"
        />
      ) : playing.kind === 'video' ? (
        <video
          {...common}
          playsInline
          aria-label={t('files.player.video', { name: playing.name })}
          className="aspect-video max-h-[70dvh] w-full rounded-md bg-black"
        />
      ) : (
        <audio {...common} aria-label={t('files.player.audio', { name: playing.name })} className="w-full" />
      )}
      {failed && <Alert>{playing.kind === 'image' ? t('files.player.imageFailed') : t('files.player.unsupported')}</Alert>}
      <a
        href={downloadUrl(playing.url)}
        className="inline-flex min-h-10 w-fit items-center justify-center gap-2 rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-semibold text-stone-900 hover:bg-stone-100 dark:border-stone-600 dark:bg-stone-900 dark:text-stone-100 dark:hover:bg-stone-800"
      >
        <Download aria-hidden="true" className="size-4" />
        {t('files.player.download')}
      </a>
    </div>
  );
}
