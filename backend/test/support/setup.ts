// Integration files boot a real database and the whole app; give them room on a 2-core machine.
jest.setTimeout(90_000);
