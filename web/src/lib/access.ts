import { ROLE_GROUPS, type Role, type RoleGroup } from '@yishi/shared/domain';

/** Whether a role belongs to one of the shared role groups (the same groups the server's access rules use). */
export function inGroup(role: Role | undefined | null, group: RoleGroup): boolean {
  return !!role && (ROLE_GROUPS[group] as readonly Role[]).includes(role);
}
