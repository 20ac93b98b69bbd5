import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@samverkan/auth';
import { isPrivileged, OPERATOR_ROLES } from './operator-access';

@ApiTags('access')
@ApiBearerAuth()
@Roles(...OPERATOR_ROLES)
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The calling operator (for the console header)' })
  me(@CurrentUser() user: AuthUser) {
    return {
      subject: user.subject,
      orgUnit: user.orgUnit,
      agency: user.agency,
      roles: [...user.roles],
      privileged: isPrivileged(user),
    };
  }
}
