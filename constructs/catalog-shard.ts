import { Construct } from 'constructs';
import { ProductCatalog, ProductCatalogProps } from './product-catalog';

export interface CatalogShardProps {
  /** The producing domain whose product catalogs this shard holds. */
  readonly domainName: string;
}

/**
 * A shard of the governance catalog: holds the catalog half ({@link ProductCatalog}) of the products of one
 * producing domain. The mesh puts each shard in its own `catalog-<domain>` stack of the governance account
 * so that no stack nears CloudFormation's resource limit; products reach it through `DataProduct.catalog`.
 */
export class CatalogShard extends Construct {
  public readonly domainName: string;
  private readonly catalogs = new Map<string, ProductCatalog>();

  constructor(scope: Construct, id: string, props: CatalogShardProps) {
    super(scope, id);
    this.domainName = props.domainName;
  }

  /** Creates the catalog half of a product in this shard. Construct ID = product name, so order never matters. */
  public addProduct(props: ProductCatalogProps): ProductCatalog {
    const catalog = new ProductCatalog(this, props.productName, props);
    this.catalogs.set(props.productName, catalog);
    return catalog;
  }

  public get products(): readonly ProductCatalog[] {
    return [...this.catalogs.values()];
  }
}
