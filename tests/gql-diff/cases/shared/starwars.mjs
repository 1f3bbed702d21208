// Data served with schemas/starwars.graphql: every abstract value carries __typename, which
// graphql-js' default type resolver (and facet) read to choose the object type.

const falcon = { __typename: 'Starship', id: '3000', name: 'Millennium Falcon', length: 34.37 };
const xwing = { __typename: 'Starship', id: '3001', name: 'X-Wing', length: 12.5 };
const r2 = { __typename: 'Droid', id: '2001', name: 'R2-D2', appearsIn: ['NEWHOPE', 'EMPIRE', 'JEDI'], primaryFunction: 'Astromech' };
const c3po = { __typename: 'Droid', id: '2000', name: 'C-3PO', appearsIn: ['NEWHOPE', 'EMPIRE', 'JEDI'], primaryFunction: 'Protocol' };
const han = { __typename: 'Human', id: '1002', name: 'Han Solo', appearsIn: ['NEWHOPE', 'EMPIRE', 'JEDI'], homePlanet: null, height: 1.8, starships: [falcon] };
const leia = { __typename: 'Human', id: '1003', name: 'Leia Organa', appearsIn: ['NEWHOPE', 'EMPIRE', 'JEDI'], homePlanet: 'Alderaan', height: 1.5, starships: [] };
// Friends are copies two levels deep (the root value must be a tree to be JSON).
const luke = {
  __typename: 'Human', id: '1000', name: 'Luke Skywalker', appearsIn: ['NEWHOPE', 'EMPIRE', 'JEDI'], homePlanet: 'Tatooine', height: 1.72,
  starships: [xwing], friends: [{ ...han }, { ...leia }, { ...c3po }, { ...r2 }],
};
r2.friends = [luke, { ...han }, { ...leia }];
c3po.friends = [luke, { ...r2, friends: null }];

export const starwarsRoot = {
  hero: r2,
  human: luke,
  droid: c3po,
  starship: falcon,
  search: [luke, r2, falcon, leia],
  node: han,
  character: luke,
  characters: [luke, r2, han],
  reviews: [{ episode: 'JEDI', stars: 5, commentary: 'Great!' }, { episode: 'JEDI', stars: 3, commentary: null }],
  createReview: { episode: 'JEDI', stars: 4, commentary: 'This is a great movie!' },
  deleteReview: true,
  counter: 1,
  reviewAdded: { episode: 'EMPIRE', stars: 5, commentary: 'best' },
};
