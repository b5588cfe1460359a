// Infrastructure and hook configs read by core/dangers.ts beyond the first readers: Terraform in
// JSON syntax (`*.tf.json`), pre-commit's `.pre-commit-config.yaml`, and what is (and is not) a
// CloudFormation template.
import { strict as assert } from 'node:assert';
import { edit, found, lines } from './helpers/dangerChange';

describe('dangers: infrastructure and hook configs', () => {
  describe('CloudFormation is a template shape, not a `Resources:` key', () => {
    it('a docs config (`mkdocs.yml`) with a `Resources:` section and `Type: AWS::…` nested in its entries is quiet', () => {
      const mkdocs = lines(
        'site_name: Platform docs',
        'nav:',
        '  - Home: index.md',
        'Resources:',
        '  Guides:',
        '    links:',
        '      Type: AWS::S3::Bucket',
        '    title: Storage guides',
        '  Examples:',
        '    - Type: AWS::SQS::Queue',
        '      page: queues.md',
        '  Glossary:',
        '    Type: AWS::Glossary',
      );
      assert.deepEqual(found(edit('mkdocs.yml', mkdocs, lines('site_name: Platform docs', 'nav:', '  - Home: index.md'))), {});
      assert.deepEqual(found(edit('docs/config.yml', mkdocs, lines('site_name: Platform docs'))), {});
    });

    it('a real template keeps its findings: a resource whose own `Type:` is AWS::… or Custom::…, after `Metadata:` too', () => {
      const t = lines('AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Fn:', '    Metadata:', '      BuildMethod: go1.x', '    Type: AWS::Serverless::Function', '  Seed:', '    Type: Custom::Seeder', '  Keep:', '    Type: AWS::SQS::Queue');
      assert.deepEqual(found(edit('template.yaml', t, lines('AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Keep:', '    Type: AWS::SQS::Queue'))), {
        'template.yaml': ['old:3 removes the resource `Fn` (`AWS::Serverless::Function`): CloudFormation deletes it', 'old:7 removes the resource `Seed` (`Custom::Seeder`): CloudFormation deletes it'],
      });
    });
  });
});
