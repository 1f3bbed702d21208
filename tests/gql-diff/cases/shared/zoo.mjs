// The root value served with schemas/zoo.graphql: every root field has data, abstract values
// carry __typename, so that the valid validation cases also execute and compare data.

const ann = { name: 'Ann', age: 34 };
const rex = {
  name: 'Rex', nickname: 'Rexy', legs: 4, barks: true, volume: 7, code: 'D-1', toys: ['ball', 'rope'],
  knows: true, trained: false, at: true, owner: ann,
  parent: { name: 'Old Rex', nickname: 'Grandpa', legs: 4, barks: false, volume: 2, code: 'D-0', toys: [], knows: true, trained: true, at: false, parent: null, owner: null },
};
const tom = {
  name: 'Tom', nickname: 'Tommy', legs: 4, meows: true, volume: 1.5, code: null, toys: 'yarn', color: 'GINGER', owner: ann,
  parent: { name: 'Old Tom', nickname: null, legs: 3, meows: false, volume: 0.5, code: 'C-0', toys: null, color: 'BLACK', parent: null, owner: null },
};
const r2 = { __typename: 'Robot', name: 'R2', model: 'astromech' };
const bob = { name: 'Bob', age: 41, pets: [{ __typename: 'Dog', ...rex }, { __typename: 'Cat', ...tom }], friends: [ann, { name: 'Cy', age: null, pets: [], friends: null }] };

export const zooRoot = {
  hello: 'world',
  dog: rex,
  cat: tom,
  pet: { __typename: 'Dog', ...rex },
  animal: { __typename: 'Cat', ...tom },
  named: r2,
  person: bob,
  robot: r2,
  catOrDog: { __typename: 'Cat', ...tom },
  personOrRobot: { __typename: 'Person', ...bob },
  dogOrPerson: { __typename: 'Dog', ...rex },
  args: {
    int: 'int', intReq: 'intReq', string: 'string', bool: 'bool', float: 'float', id: 'id', color: 'color',
    strings: 'strings', stringsReq: 'stringsReq', filter: 'filter', pick: 'pick', two: 'two',
    reqWithDefault: 'reqWithDefault', opts: 'opts', mixed: 'mixed',
  },
  adopt: { ...rex, name: 'Newcomer' },
  rename: { name: 'Renamed', age: 1 },
  barked: rex,
  meowed: tom,
};
