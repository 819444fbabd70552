import { SetMetadata } from '@nestjs/common';
import { Permission } from '@allmende/auth';

export const REQUIRED_PERMISSION = 'allmende:permission';

/** Declares what a route needs; a route with neither this nor @Public() is refused. */
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);
