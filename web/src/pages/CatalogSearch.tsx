/** The catalog's search box, for the shop and the admin: typing searches once it pauses for 300 ms, Enter at once. */
import { useEffect, useState } from 'react';
import { Input } from 'antd';
import { useT } from '../i18n/language';

export function CatalogSearch({ onQuery, style }: { onQuery: (query: string) => void; style?: React.CSSProperties }) {
  const t = useT();
  const [typed, setTyped] = useState<string | null>(null);
  useEffect(() => {
    if (typed === null) return;
    const timer = setTimeout(() => onQuery(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed, onQuery]);
  return (
    <Input.Search
      allowClear
      aria-label={t('catalog.search')}
      placeholder={t('catalog.search')}
      onSearch={(v) => onQuery(v.trim())}
      onChange={(e) => setTyped(e.target.value)}
      style={style}
    />
  );
}
