export class TagResponseDto {
  id: string;
  name: string;
  /** How many prompts you can see carry this tag. */
  usage: number;
  createdAt: string;
}

export class TagPageDto {
  items: TagResponseDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class CategoryResponseDto {
  id: string;
  name: string;
  description: string | null;
  /** How many prompts you can see are in this category. */
  promptCount: number;
  createdAt: string;
  updatedAt: string;
}

export class CategoryPageDto {
  items: CategoryResponseDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class CollectionResponseDto {
  id: string;
  name: string;
  description: string | null;
  /** The enclosing collection; null at the top level. */
  parentId: string | null;
  /** Who created it (they may edit and delete it); null if that user was deleted. */
  createdById: string | null;
  /** How many prompts you can see are filed directly in this collection. */
  promptCount: number;
  createdAt: string;
  updatedAt: string;
}

export class CollectionListDto {
  /** Every collection of the organization, flat and sorted by name; build the tree from `parentId`. */
  items: CollectionResponseDto[];
  /** Always null: the tree is returned whole, because the console draws all of it at once. */
  nextCursor: string | null;
}
