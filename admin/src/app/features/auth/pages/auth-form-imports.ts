import { ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { FocusInvalid } from '../../../shared/forms/focus-invalid';

/** What every signed-out form page (sign-in, sign-up, password reset) is built from: one card, one form. */
export const AUTH_FORM_IMPORTS = [
  FocusInvalid,
  ReactiveFormsModule,
  RouterLink,
  MatCard,
  MatCardContent,
  MatFormField,
  MatLabel,
  MatHint,
  MatError,
  MatInput,
  MatButton,
  MatIcon,
] as const;
