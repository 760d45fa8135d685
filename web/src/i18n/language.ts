/** The language of the front end (English or 简体中文), chosen by the person and kept in this browser. */
import { useMemo } from 'react';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { en, format, zhCN, type MessageKey, type Messages } from './messages';

export type Language = 'en' | 'zh-CN';

export const MESSAGES: Record<Language, Messages> = { en, 'zh-CN': zhCN };

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
}

export const useLanguage = create<LanguageState>()(
  persist(
    (set) => ({
      language: typeof navigator !== 'undefined' && navigator.language.startsWith('zh') ? 'zh-CN' : 'en',
      setLanguage: (language) => set({ language }),
    }),
    { name: 'doos-language' },
  ),
);

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  return (key, values) => format(MESSAGES[language][key], values);
}

/** The texts of the chosen language. */
export function useT(): Translate {
  const language = useLanguage((s) => s.language);
  return useMemo(() => translator(language), [language]);
}
