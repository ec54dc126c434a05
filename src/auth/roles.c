/* roles.c - the role table (roles.h). */
#include "auth/roles.h"

static const bool table[ROLE__MAX][CAN__MAX] = {
	[ROLE_ADMIN] = {[CAN_ENTER] = true, [CAN_MODERATE] = true, [CAN_EDIT_OTHERS] = true,
			[CAN_PUBLISH] = true, [CAN_MANAGE_TERMS] = true, [CAN_MANAGE_USERS] = true,
			[CAN_MANAGE_SETTINGS] = true},
	[ROLE_EDITOR] = {[CAN_ENTER] = true, [CAN_MODERATE] = true, [CAN_EDIT_OTHERS] = true,
			 [CAN_PUBLISH] = true, [CAN_MANAGE_TERMS] = true},
	[ROLE_AUTHOR] = {[CAN_ENTER] = true, [CAN_PUBLISH] = true},
	[ROLE_CONTRIBUTOR] = {[CAN_ENTER] = true},
};

bool role_can(enum user_role role, enum capability cap)
{
	return (unsigned)role < ROLE__MAX && (unsigned)cap < CAN__MAX && table[role][cap];
}

bool role_can_edit(const struct user *u, const struct post *p)
{
	if (role_can(u->role, CAN_EDIT_OTHERS))
		return true;
	if (p->author_id != u->id)
		return false;
	if (u->role == ROLE_CONTRIBUTOR)
		return p->status == POST_DRAFT || p->status == POST_PENDING;
	return true;
}
