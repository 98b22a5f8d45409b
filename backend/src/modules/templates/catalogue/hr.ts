import type { PromptTemplate } from '../templates.catalogue';
import { text, optionalText, number, boolean, select, BALANCED } from './builders';

/** Starter templates of the hr category. */
export const HR: readonly PromptTemplate[] = [
  {
    id: 'hr-job-description',
    title: 'Inclusive job description',
    description: 'A clear, inclusive job posting that attracts the right candidates.',
    category: 'hr',
    content: `Write a job description for a {{seniority}} {{role}} at {{company}}.

Team and mission: {{team}}
Must-have skills: {{must_haves}}
Location / remote policy: {{location}}
Salary range: {{salary}}

Sections: about the role (why it exists), what you will do in the first 90 days, what you bring
(no more than six must-haves; separate nice-to-haves), what we offer, how we hire (steps and timing).
Use gender-neutral, jargon-free language; avoid "rockstar", "ninja" and years-of-experience
requirements that are not essential. Include the salary range as given.`,
    variables: [
      select('seniority', 'Level', ['Junior', 'Mid-level', 'Senior', 'Staff', 'Lead'], 'Mid-level'),
      text('role', 'Job title'),
      text('company', 'Company name'),
      text('team', 'The team and what it is responsible for'),
      text('must_haves', 'Essential skills'),
      text('location', 'Office, hybrid or remote and time zones'),
      text('salary', 'Salary range'),
    ],
    metadata: BALANCED,
  },
  {
    id: 'hr-interview-questions',
    title: 'Structured interview questions',
    description: 'Competency-based interview questions with a scoring guide.',
    category: 'hr',
    content: `Create a structured interview for a {{role}} focused on these competencies: {{competencies}}.

Interview length: {{minutes}} minutes.

For each competency give two behavioural questions ("Tell me about a time..."), one follow-up probe
each, and a 1-4 scoring guide describing what a weak, adequate, strong and exceptional answer
contains. Avoid questions that touch on protected characteristics or personal life. End with a
time plan for the interview.`,
    variables: [
      text('role', 'The role being hired'),
      text('competencies', 'Comma-separated competencies'),
      number('minutes', 'Interview length in minutes', 45),
    ],
    metadata: BALANCED,
  },
  {
    id: 'hr-performance-review-feedback',
    title: 'Performance review feedback',
    description: 'Balanced, specific written feedback for a performance review.',
    category: 'hr',
    content: `Help me write performance review feedback for {{employee_name}}, a {{role}}.

Achievements this period: {{achievements}}
Areas to develop: {{growth_areas}}
Overall rating: {{rating}}

Write it in the second person, specific and behaviour-based (situation, behaviour, impact), with
two concrete goals for the next period that are measurable. Keep the tone respectful and direct;
do not soften development areas into vagueness or inflate the achievements. About 300 words.`,
    variables: [
      text('employee_name', 'First name'),
      text('role', 'Their role'),
      text('achievements', 'What went well, with examples'),
      text('growth_areas', 'What should improve, with examples'),
      select(
        'rating',
        'Overall rating',
        ['exceeds expectations', 'meets expectations', 'partially meets expectations', 'below expectations'],
        'meets expectations',
      ),
    ],
    metadata: BALANCED,
  },
  {
    id: 'hr-onboarding-plan',
    title: '30-60-90 day onboarding plan',
    description: 'A first-three-months plan for a new hire with goals, people to meet and checkpoints.',
    category: 'hr',
    content: `Create a 30-60-90 day onboarding plan for {{new_hire}}, joining as {{role}} in the {{team}} team.

Tools and systems they need: {{tools}}
Their manager: {{manager}}
Remote: {{remote}}

For each phase give: learning goals, deliverables, people to meet and why, and a check-in question
the manager asks at the end of the phase. Week one gets a day-by-day list. If remote is true, add
rituals that replace in-person contact.`,
    variables: [
      text('new_hire', 'Name of the new hire'),
      text('role', 'Their role'),
      text('team', 'Team name'),
      optionalText('tools', 'Tools and systems (optional)'),
      text('manager', 'Manager name'),
      boolean('remote', 'Whether the hire works remotely', true),
    ],
    metadata: BALANCED,
  },
];
