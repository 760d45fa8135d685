/** Data of one GET, fetched again every `refreshMs` (0: once) and on `reload()`, with the error in words. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useT } from '../../i18n/language';

export interface ApiData<T> {
  data: T | null;
  error: string | null;
  reload: () => Promise<void>;
}

export function useApiData<T>(path: string, refreshMs = 0): ApiData<T> {
  const t = useT();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await api<T>('GET', path));
      setError(null);
    } catch (err) {
      setError(describeError(err, t, 'ops'));
    }
  }, [path, t]);
  useEffect(() => {
    void reload();
    if (refreshMs <= 0) return;
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);
  return { data, error, reload };
}
