import { IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional';

export class EraseAccountDto {
  /** The account's password; required for accounts that have one (SSO-only accounts sign in again instead). */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password?: string;
}
