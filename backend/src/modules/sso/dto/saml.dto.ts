import { IsString, MaxLength, MinLength } from 'class-validator';
import { TokenResponseDto } from '../../auth/dto/auth.response.dto';
import { Optional } from '../../../common/validation/optional';

export class SamlExchangeDto {
  /** The one-time code from `/sso/callback?code=…` (valid once, for 60 seconds). */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  code: string;
}

export class SamlExchangeResponseDto extends TokenResponseDto {
  /** The organization the user signed in to with SSO (select it in the console). */
  organizationId: string;
}

/** The IdP's HTTP-POST to the Assertion Consumer Service. */
export class SamlAcsDto {
  @IsString()
  @MinLength(1)
  @MaxLength(5_000_000)
  SAMLResponse: string;

  /** Echoed by the IdP: the console path to return to after sign-in. */
  @Optional()
  @IsString()
  @MaxLength(2000)
  RelayState?: string;
}
