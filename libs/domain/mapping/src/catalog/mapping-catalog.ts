import type { MappingTemplate } from '../template/mapping-template.types.js';

/** Raised when a caller asks for a template the catalog does not hold. */
export class UnknownTemplateError extends Error {
  constructor(name: string, version: number | undefined, known: readonly string[]) {
    super(
      `there is no mapping template ${version === undefined ? name : `${name}@${version}`}; known: ${known.join(', ') || 'none'}`,
    );
    this.name = 'UnknownTemplateError';
  }
}

/**
 * The loaded templates, by name and version. Several versions of one template may be loaded at once
 * (a replay can pin the version that produced the original output); `get(name)` gives the newest.
 */
export class MappingCatalog {
  private readonly byId = new Map<string, MappingTemplate>();

  private constructor(templates: readonly MappingTemplate[]) {
    for (const template of templates) {
      const existing = this.byId.get(template.id);
      if (existing)
        throw new Error(
          `${template.id} is defined twice: in ${existing.fileName} and in ${template.fileName}`,
        );
      this.byId.set(template.id, template);
    }
  }

  static of(templates: readonly MappingTemplate[]): MappingCatalog {
    return new MappingCatalog(templates);
  }

  /** The template of that name: the given version, or the newest. */
  get(name: string, version?: number): MappingTemplate {
    const template =
      version === undefined
        ? this.newest().find((t) => t.name === name)
        : this.byId.get(`${name}@${version}`);
    if (!template) throw new UnknownTemplateError(name, version, [...this.byId.keys()].sort());
    return template;
  }

  /** The newest version of every template that reads records of this system and entity. */
  forSource(system: string, entity: string): MappingTemplate[] {
    return this.newest().filter((t) => t.source.system === system && t.source.entity === entity);
  }

  /** The newest version of each template, by name. */
  newest(): MappingTemplate[] {
    const newest = new Map<string, MappingTemplate>();
    for (const template of this.byId.values()) {
      const current = newest.get(template.name);
      if (!current || current.version < template.version) newest.set(template.name, template);
    }
    return [...newest.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  all(): MappingTemplate[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
