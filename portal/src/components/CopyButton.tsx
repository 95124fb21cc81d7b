import { useEffect, useState } from 'react';

interface Props {
  text: string;
  label: string;
}

/**
 * Copies a passage (what is true now, an email template) to the clipboard. Rendered only in the
 * browser and only where the Clipboard API exists, so nobody sees a button that cannot work.
 */
export default function CopyButton({ text, label }: Props) {
  const [supported, setSupported] = useState(false);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    setSupported(typeof navigator !== 'undefined' && typeof navigator.clipboard?.writeText === 'function');
  }, []);

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  if (!supported) return null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy">
      <button type="button" className="button secondary small" onClick={copy}>
        {label}
      </button>{' '}
      <span role="status" aria-live="polite" className="copy-status">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Copying failed: select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}
