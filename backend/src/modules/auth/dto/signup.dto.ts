import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { normalizeEmail, trim } from '../../../common/validation/transforms';
import { Optional } from '../../../common/validation/optional';

/** A new password: at least 10 characters. */
export function IsNewPassword(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MinLength(10)(target, key);
    MaxLength(200)(target, key);
  };
}

export class SignupDto {
  /** E-mail address; compared case-insensitively. */
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** At least 10 characters. */
  @IsNewPassword()
  password: string;

  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  /**
   * The name of the organization the sign-up creates (default: "<name>'s organization"). Not
   * with `inviteToken`: an invited sign-up creates no organization.
   */
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  organizationName?: string;

  /**
   * The token of an invitation link for this e-mail: the account joins that organization with
   * the invited role instead of creating one, and the e-mail counts as verified.
   */
  @Optional()
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  inviteToken?: string;
}

export class LoginDto {
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  /** Required unless the request is in cookie mode (`X-Session-Mode: cookie`), which sends it as a cookie. */
  @Optional()
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken?: string;
}

export class TokenDto {
  /** The token from the e-mailed link. */
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;
}

export class ForgotPasswordDto {
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto extends TokenDto {
  @IsNewPassword()
  password: string;
}

export class ChangePasswordDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @IsNewPassword()
  newPassword: string;
}
