import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/** What the gallery says when using a template fails for a reason the user can act on. */
export const TEMPLATE_ERRORS: ErrorCatalogue = {
  plan_limit_reached: {
    message:
      "Your organization has reached its plan's prompt limit. Delete prompts you no longer need or upgrade the plan.",
  },
  forbidden: { message: 'Your role may not create prompts. Ask an EDITOR, ADMIN or OWNER.' },
};
