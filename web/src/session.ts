import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Role } from './api';

export const SessionContext = createContext<{ me: Me; logout: () => void } | null>(null);

export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
export function useCan(role: Role): boolean {
  return rank[useSession().me.user.role] >= rank[role];
}
