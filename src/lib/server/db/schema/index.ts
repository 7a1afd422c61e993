export * from './places';
export * from './people';
export * from './auth';
export * from './audit';
export * from './cases';
export * from './collab';
export * from './mediation';
export * from './agreements';
