/** Who is signed in: the tokens of /v1/auth/login, kept in this browser (localStorage) until logout. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Role = 'user' | 'admin' | 'ops';

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  username: string;
  role: Role;
}

interface SessionState {
  session: Session | null;
  signIn: (session: Session) => void;
  /** New tokens from a refresh (the refresh token rotates on every use). */
  rotate: (accessToken: string, refreshToken: string) => void;
  signOut: () => void;
}

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      session: null,
      signIn: (session) => set({ session }),
      rotate: (accessToken, refreshToken) =>
        set((s) => (s.session ? { session: { ...s.session, accessToken, refreshToken } } : s)),
      signOut: () => set({ session: null }),
    }),
    { name: 'doos-session' },
  ),
);
